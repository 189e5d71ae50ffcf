"""The compile layer: ``compile_grad`` traces a loss and writes its forward
and backward passes as plain Python. It imports only the core."""
