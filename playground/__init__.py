"""The Playground: glassgrad in a web page, on Pyodide (see build.py)."""
