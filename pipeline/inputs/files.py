"""Links under inputs/ that lead outside it: refused before any file is read."""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.errors import Problem, display_path


def outside_links(root: Path) -> list[Problem]:
    """Every link under inputs/ (file or folder, at any depth) that leads outside inputs/.

    Checked before anything is read, so no input file can make the build read, hash or
    print a file elsewhere on the machine (`inputs/codebook/actors.yaml -> /etc/passwd`)."""
    problems: list[Problem] = []
    real_root = root.resolve()
    for folder, dirs, files in os.walk(root):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            if path.is_symlink():
                resolved = path.resolve()
                if not resolved.is_relative_to(real_root):
                    problems.append(Problem(display_path(path), None,
                                            f"is a link to {resolved}, outside inputs/",
                                            "copy the file into inputs/ instead of linking to it"))
    return problems
