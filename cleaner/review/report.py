"""`cleaner report`: gather a run's record and write the report's pages and stats.json."""
from __future__ import annotations

import json
from pathlib import Path

from cleaner.batch.files import write_atomic
from cleaner.record.sidecar import Sidecar, SidecarError
from cleaner.review.gather import Run, gather
from cleaner.review.pages import DOCS, doc_page, index_page


def write_report(root: Path, dest: Path, sample: int = 5) -> Run:
    """Write dest/index.html, dest/docs/*.html and dest/stats.json for the run in `root`."""
    run = gather(root, sample)
    (dest / DOCS).mkdir(parents=True, exist_ok=True)
    for key, doc in sorted(run.docs.items()):
        try:
            sidecar = Sidecar.read(root / doc.sidecar)
            output = (root / doc.output).read_text("utf-8") if doc.output else None
        except (OSError, UnicodeDecodeError, SidecarError) as exc:
            run.unreadable.append((doc.sidecar, str(exc)))
            continue
        write_atomic(dest / DOCS / f"{key}.html", doc_page(doc, sidecar, output))
    stats = json.dumps(run.to_json(), ensure_ascii=False, indent=1) + "\n"
    write_atomic(dest / "stats.json", stats.encode("utf-8", "backslashreplace"))
    write_atomic(dest / "index.html", index_page(run))
    return run
