"""What the Bioschemas profiles require of a node, for the structured-data tests."""

from __future__ import annotations

# The profiles the catalogue's kinds name (vocab/kinds.yml, cheatsheet-types.yml), written out
# here rather than read from the code under test.
TRAINING_MATERIAL = "https://bioschemas.org/profiles/TrainingMaterial/1.0-RELEASE"
COMPUTATIONAL_TOOL = "https://bioschemas.org/profiles/ComputationalTool/1.0-RELEASE"

# Bioschemas minimum ("required") properties of each profile
REQUIRED = {
    TRAINING_MATERIAL: ("name", "description", "keywords"),
    COMPUTATIONAL_TOOL: ("name", "description", "url"),
}
