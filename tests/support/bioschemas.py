"""What the Bioschemas profiles require of a node, for the structured-data tests."""

from __future__ import annotations

from dl4mic_hub.export.jsonld import COMPUTATIONAL_TOOL, TRAINING_MATERIAL

# Bioschemas minimum ("required") properties of each profile
REQUIRED = {
    TRAINING_MATERIAL: ("name", "description", "keywords"),
    COMPUTATIONAL_TOOL: ("name", "description", "url"),
}
