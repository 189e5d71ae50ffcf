"""The views layer: DOT text, rendering with Graphviz, Jupyter display and
the Stepper page. It imports only the core."""
