"""``Version``: one trace compiled, with its source and its functions (the
batch loop, the numpy batch and the training loops are written on first use)."""

from __future__ import annotations

import warnings
from itertools import count

from autograd.compile.dialects import NUMPY
from autograd.compile.functions import Functions
from autograd.compile.graph import Graph, NotCompilable
from autograd.compile.program import Program
from autograd.compile.sources import Generated, SourceFiles, save

_serial = count(1)


class Version:
    def __init__(self, graph: Graph, label: str, sources: SourceFiles) -> None:
        self.graph = graph
        self.filename = self.original_filename = f"<compile_grad {label} #{next(_serial)}>"
        self.sources = sources
        self.saved = False  # the source lives in the file self.filename
        self.build()

    def build(self) -> None:
        """Write and compile the single-call function; again when a later
        trace found more parameters (every version takes them all)."""
        self.program = Program(self.graph)
        self.functions = Functions(self.program)
        self.source, reached = self.functions.single("loss_and_grad")
        self.reached = [i for i, p in enumerate(self.graph.params) if p in reached]
        self.wide_indices = self.program.wide.indices() if self.program.wide else []
        # functional's starting gradients: -0.0 + g is g, as grad() takes a first
        # contribution as it is; a parameter this version never reaches gets 0.0
        self.zero_start = [-0.0 if p in reached else 0.0 for p in self.graph.params]
        if self.saved:  # the file pdb and tracebacks show must be the code that runs
            self._save_again()
        self.single = self._define(self.source, "loss_and_grad", self.filename)
        self._batch: Generated | None = None
        self._numpy: Generated | None = None
        self._numpy_tried = False
        self._train: Generated | None = None
        self._train_tried = False

    def _define(
        self, source: str, name: str, filename: str, program: Program | None = None
    ) -> Generated:
        return self.sources.define(source, name, filename, program or self.program)

    def save_source(self, path: str) -> None:
        save(path, self.source)
        self.filename, self.saved = path, True
        self.single = self._define(self.source, "loss_and_grad", path)

    def _save_again(self) -> None:
        """Rewrite the saved file with the new source; where that fails, run
        from memory again, saying so (a retrace must not be lost to it)."""
        try:
            save(self.filename, self.source)
        except OSError as error:
            warnings.warn(
                f"could not rewrite {self.filename} with the step's new source ({error}); "
                "the step runs from memory now: save_source again to run it from a file",
                stacklevel=2,
            )
            self.filename, self.saved = self.original_filename, False

    def _sibling(self, kind: str) -> str:
        return f"{self.filename[:-1]} {kind}>" if not self.saved else f"<{self.filename} {kind}>"

    def batch(self) -> Generated:
        if self._batch is None:
            source = self.functions.batch("loss_and_grad_batch")
            self._batch = self._define(source, "loss_and_grad_batch", self._sibling("batch"))
        return self._batch

    def train_source(self) -> str | None:
        """The training loop's source; None where there is none (a wide dot,
        whose gradients come as a list, trains in the Python loop)."""
        if self.program.wide:
            return None
        return self.functions.train("loss_and_grad_train")

    def train(self) -> Generated | None:
        if not self._train_tried:
            self._train_tried = True
            source = self.train_source()
            if source is not None:
                self._train = self._define(source, "loss_and_grad_train", self._sibling("train"))
        return self._train

    def numpy(self) -> Generated | None:
        """The numpy batch function, or None when the graph has an op
        without a numpy template (a custom op)."""
        if not self._numpy_tried:
            self._numpy_tried = True
            program = Program(self.graph, NUMPY)
            try:
                source = Functions(program).numpy_batch("loss_and_grad_numpy")
            except NotCompilable:
                return None
            self._numpy = self._define(
                source, "loss_and_grad_numpy", self._sibling("numpy"), program
            )
        return self._numpy
