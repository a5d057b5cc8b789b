"""``python -m crawler.serving COPY --host H --port N --workers N``: serve a published copy until stopped.

What ``tremplin serve`` runs as its child (``runner.serve_command``), after publishing the copy.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from crawler.serving.runner import serve_copy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.serving", description=__doc__.splitlines()[0])
    parser.add_argument("copy", type=Path, help="a copy published by crawler.publish.publish_copy")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int)
    args = parser.parse_args(argv)
    return serve_copy(args.copy, port=args.port, host=args.host, workers=args.workers)


if __name__ == "__main__":
    raise SystemExit(main())
