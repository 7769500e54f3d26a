"""convoy-synth: synthetic georeferenced convoy scenes with known truth (see Scripts/convoy-synth)."""
GENERATOR = "convoy-synth 1"
