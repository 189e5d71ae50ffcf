"""The core layer: the op table, the modes, ``Value``, the engine and what it
differentiates with. It imports nothing from the other layers; they extend
it from above."""
