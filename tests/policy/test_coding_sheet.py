"""Reading a wide codings sheet (``ihms.policy._coding_sheet``): messages a coder acts on."""

import pandas as pd

from ihms.policy._coding_sheet import parse_codings_frame
from ihms.policy.codebook import load_codebook


def test_a_misspelt_dimension_column_is_pointed_at_the_dimension_meant():
    # Walk 17: a sheet whose 'Policy tools' column lost its s was refused as "neither a
    # dimension of codebook '6d' (level, nature, year, orientation, tools, stakeholders)
    # nor a known context column", the keys listed but not the name the sheet used
    frame = pd.DataFrame({"segment_id": ["s1"], "Policy tool": ["Talent construction"]})
    _, _, problems = parse_codings_frame(
        frame, load_codebook("6d"), known_segments={"s1"}, coder="carol", file="c.csv"
    )
    assert problems == [
        "c.csv: column 'Policy tool' is neither a dimension of codebook '6d' (level, nature, "
        "year, orientation, tools, stakeholders) nor a known context column — did you mean "
        "'Policy tools'?"
    ]
