"""Inputs: the only package that reads `inputs/`.

Split as MkDocs splits its config/ package, one job per module:

- schema.py: the pydantic schemas of every input file, and every default;
- yamlmap.py: YAML parsed safely with a line map (the line of every value);
- problems.py: schema errors turned into problems that name the file, the line and the fix;
- refs.py: reference checks across files (unknown and duplicate ids);
- files.py: links under inputs/ that lead outside it;
- sources.py: the source files (found and read by pipeline/readers/discover.py) with their sidecars;
- load.py: `load_inputs`, which runs all of them and raises every problem at once.

Source files are read by the readers (pipeline/readers/); this package only pairs them with
their sidecars. This module only re-exports the public API.
"""

from __future__ import annotations

from pipeline.inputs.load import CODEBOOK_FILES, load_inputs, load_yaml_model
from pipeline.inputs.problems import (
    TYPE_FIXES,
    closest_name,
    date_fix,
    format_loc,
    invalid,
    source_fix,
    type_fix,
    validate,
)
from pipeline.inputs.refs import check_references
from pipeline.inputs.schema import (
    ACTOR_TYPES,
    AUTO_ACTOR_PREFIX,
    ID_RE,
    MAX_ROWS_DEFAULTS,
    MAX_SOURCE_BYTES_DEFAULT,
    SOURCE_KINDS,
    Actor,
    AnnEvent,
    Annotation,
    AnnPosition,
    AnnTerm,
    Briefing,
    Codebook,
    Correction,
    DateRange,
    EventMerge,
    Inputs,
    KeyPoint,
    Lexicon,
    Place,
    Plan,
    Provision,
    Question,
    Segmentation,
    Sidecar,
    Source,
    SourceQuote,
    Strict,
    check_date_expression,
    check_partial_date,
)
from pipeline.inputs.sources import load_sources, merge_sidecar
from pipeline.inputs.yamlmap import Loaded, read_yaml
from pipeline.readers.files import read_bytes, safe_file

__all__ = [
    "ACTOR_TYPES", "AUTO_ACTOR_PREFIX", "CODEBOOK_FILES", "ID_RE", "MAX_ROWS_DEFAULTS", "MAX_SOURCE_BYTES_DEFAULT",
    "SOURCE_KINDS", "TYPE_FIXES", "Actor", "AnnEvent", "AnnPosition", "AnnTerm", "Annotation",
    "Briefing", "Codebook", "Correction", "DateRange", "EventMerge", "Inputs", "KeyPoint", "Lexicon",
    "Loaded", "Place", "Plan", "Provision", "Question", "Segmentation", "Sidecar", "Source",
    "SourceQuote", "Strict", "check_date_expression", "check_partial_date", "check_references",
    "closest_name", "date_fix", "format_loc", "invalid", "load_inputs", "load_yaml_model",
    "load_sources", "merge_sidecar", "read_bytes", "read_yaml", "safe_file", "source_fix", "type_fix", "validate",
]
