"""Rendering the briefing in parts: parts (cut the HTML), host (the render host process and its
scheduler), worker (one part in WeasyPrint), join (one PDF from the parts)."""
