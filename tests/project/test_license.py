"""The MIT License that setup.cfg declares is the LICENSE file, and the wheel
and the sdist ship it."""

import configparser
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from setuptools import build_meta  # type: ignore[import-untyped]  # no stubs shipped

ROOT = Path(__file__).resolve().parents[2]
METADATA = configparser.ConfigParser()
METADATA.read(ROOT / "setup.cfg")


def test_the_license_file_is_the_mit_license_setup_cfg_declares():
    assert METADATA["metadata"]["license"] == "MIT"
    assert METADATA["metadata"]["license_files"] == "LICENSE"
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n\nCopyright (c) ")
    assert "Permission is hereby granted, free of charge" in text


def test_the_wheel_and_the_sdist_ship_the_license(tmp_path, monkeypatch):
    project = tmp_path / "glassgrad"  # a copy: building writes build/ and egg-info
    project.mkdir()
    for name in ("autograd", "nn", "setup.cfg", "pyproject.toml", "README.md", "LICENSE"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, project / name)
    dist = tmp_path / "dist"
    # pip builds the wheel in an environment of its own, with the setuptools
    # pyproject.toml asks for: a fresh venv's setuptools cannot build wheels.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(project)],
        check=True,
        timeout=300,
    )
    (wheel,) = [zipfile.ZipFile(path) for path in dist.glob("glassgrad-*.whl")]
    monkeypatch.chdir(project)
    sdist = tarfile.open(dist / build_meta.build_sdist(str(dist)))
    license_text = (ROOT / "LICENSE").read_bytes()
    # setuptools 77 and later put it under licenses/, as the metadata standard now says
    (in_wheel,) = [n for n in wheel.namelist() if re.search(r"\.dist-info/(licenses/)?LICENSE$", n)]
    assert wheel.read(in_wheel) == license_text
    in_sdist = sdist.extractfile(f"glassgrad-{METADATA['metadata']['version']}/LICENSE")
    assert in_sdist is not None and in_sdist.read() == license_text
