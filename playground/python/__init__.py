"""The Python the Playground's page runs, on glassgrad's public API only:
``cell`` (the code cell), ``recipe`` (the training, which Export writes out
whole), ``training`` (the training view's state) and ``api`` (what the page
calls)."""
