"""`audiogen serve`: let a browser or a phone's podcast app play the output folder."""

from __future__ import annotations

from ..errors import AudiogenError


def run(args) -> int:
    from ..feed import serve

    if not args.dir.is_dir():
        raise AudiogenError(f"{args.dir} is not a folder; build first: audiogen build --out {args.dir}")
    if not 0 <= args.port < 65536:
        raise AudiogenError(f"--port must be between 0 (any free port) and 65535, got {args.port}")
    serve.serve(args.dir, host=args.host, port=args.port, quiet=args.quiet)
    return 0
