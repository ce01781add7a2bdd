"""The PDF stays a briefing at any size: past the limits in briefing.yaml it prints the most
significant rows and counts the rest, while the CSVs keep everything."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import yaml

from pipeline.build import build


def test_limits_cut_rows_and_count_the_rest(project: Path) -> None:
    fixtures = Path(__file__).parent / "fixtures"
    for name in ("fixture-kremlin-five-hour-meeting", "fixture-twenty-point-framework"):
        shutil.copy(fixtures / f"{name}.txt", project / "inputs/sources" / f"{name}.txt")
        shutil.copy(fixtures / f"{name}.yaml", project / "inputs/sources" / f"{name}.yaml")
    path = project / "inputs/briefing.yaml"
    doc = yaml.safe_load(path.read_text())
    doc.update({"sources_in_detail": 2, "notes_per_row": 1,
                "max_rows": {"events": 10, "plan_terms": 12, "actors": 8}})
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    build(project)

    html = (project / "output/briefing.html").read_text()
    events = pd.read_csv(project / "output/tables/events.csv", dtype=str, keep_default_na=False)
    # machine rows below show_machine_from are held back (counted on their own line), not cut
    threshold = doc.get("show_machine_from", 0.85)
    held = int(((events["status"] != "reviewed") & (events["confidence"].astype(float) < threshold)).sum())
    assert len(events) - held > 10
    assert f"{len(events) - held - 10} further events are not shown" in html
    if held:
        assert f"{held} further machine-found events below confidence {threshold}" in html
    assert "and 2 more sources, listed in the appendix" in html
    assert "further sources are not shown side by side" in html
    assert 'class="more-notes">+' in html            # rows with more notes than printed
    assert 'class="sources-compact"' in html          # one-line appendix rows past the limit
    # the two annotated sources are the ones shown side by side
    assert "Telegraph.com" in html and "O&#39;Brien, Weekend Update #165" in html
    rows = html.split('<table class="chron">')[1].split("</table>")[0].count("<tr") - 1
    assert rows <= 10
