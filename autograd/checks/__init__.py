"""The checks layer: finite-difference gradient checks and the hypothesis
strategies that feed them. It imports only the core."""
