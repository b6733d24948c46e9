"""Studies of the fe_k models (models/studies/README.md); run from models/studies."""
import training_path  # noqa: F401
