"""``python -m modelyard.serving``: one scoring process for one model (see ``--help``)."""

from __future__ import annotations

import os

# Before numpy/LightGBM load OpenMP: idle worker threads must not spin on a shared machine.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse  # noqa: E402
import sys  # noqa: E402


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m modelyard.serving",
                                description="Serve one model over HTTP: POST /score, GET /health, /ready, "
                                            "/swagger.json, /metrics.")
    p.add_argument("--model-dir", required=True, help="MLflow model folder, a folder with model.pkl/.joblib, or the file")
    p.add_argument("--scoring-script", help="a scoring script with init() and run(raw_data)")
    p.add_argument("--code-dir", help="folder of the scoring script (put on sys.path)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5001)
    p.add_argument("--uds", metavar="PATH", help="listen on this Unix domain socket (mode 0600) instead of host:port")
    p.add_argument("--parent-pid", type=int, help="exit when this process is no longer the parent (the server died)")
    p.add_argument("--max-concurrent", type=int, default=512, help="requests in flight before 429 (default 512)")
    p.add_argument("--request-timeout-ms", type=int, default=60_000, help="504 past this (default 60000)")
    p.add_argument("--max-body-bytes", type=int, default=16 * 1024 * 1024, help="413 past this (default 16 MiB)")
    p.add_argument("--max-batch-rows", type=int, default=1024, help="rows per micro-batch (default 1024)")
    p.add_argument("--name", help="deployment name (a label on /metrics, the title of swagger.json)")
    p.add_argument("--no-compile", action="store_true", help="always score through the model itself")
    p.add_argument("--trust-type", action="append", default=[], metavar="MODULE.TYPE",
                   help="a type to trust when loading a skops file (repeatable)")
    p.add_argument("--collect-to", metavar="URL", help="folder (local or fsspec URL) for collected data (data_collector)")
    p.add_argument("--collect", action="append", default=[], choices=["model_inputs", "model_outputs"],
                   help="a collection to write (repeatable); requests carrying modelyard-request-id are collected")
    p.add_argument("--collect-buffer-rows", type=int, default=100_000,
                   help="rows buffered before new ones are dropped and counted (default 100000)")
    p.add_argument("--collect-flush-seconds", type=float, default=1.0, help="how often the buffer is written (default 1)")
    p.add_argument("--explain", action="store_true",
                   help="prepare the model's explainer: requests may ask for their rows' contributions (tree models)")
    p.add_argument("--log-level", default="warning")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    import uvicorn

    from modelyard._uvicorn import fastest_stack
    from modelyard.serving._app import Settings, create_app

    settings = Settings(model_dir=args.model_dir, scoring_script=args.scoring_script, code_dir=args.code_dir,
                        max_concurrent=args.max_concurrent, request_timeout_ms=args.request_timeout_ms,
                        max_body_bytes=args.max_body_bytes, name=args.name, compile=not args.no_compile,
                        trusted_types=tuple(args.trust_type), max_batch_rows=args.max_batch_rows,
                        collect_to=args.collect_to, collections=tuple(args.collect),
                        collect_buffer_rows=args.collect_buffer_rows, collect_flush_seconds=args.collect_flush_seconds,
                        explain=args.explain)
    app = create_app(settings)
    from modelyard.serving._lifeline import bind_unix_socket, exit_with_parent

    if args.parent_pid:
        exit_with_parent(args.parent_pid, args.uds)
    sockets = [bind_unix_socket(args.uds)] if args.uds else None
    where = f"unix:{args.uds}" if args.uds else f"http://{args.host}:{args.port}"
    print(f"modelyard.serving: listening on {where} (model {args.model_dir})", file=sys.stderr, flush=True)
    config = uvicorn.Config(app, host=args.host, port=args.port, **fastest_stack(), lifespan="on",
                            access_log=False, log_level=args.log_level, timeout_keep_alive=30,
                            server_header=False, date_header=False)
    uvicorn.Server(config).run(sockets=sockets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
