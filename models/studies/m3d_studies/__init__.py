"""Studies of the m3d models (models/studies/README.md); run from models/studies."""
import training_path  # noqa: F401
