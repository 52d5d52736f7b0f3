"""The ``forgetless`` command line.

``forgetless compare [preset=NAME] [key=value ...]`` runs a comparison grid and writes a run
folder; ``forgetless sweep [key=value ...] --grid KEY=[v1,...] ...`` selects a configuration on a
validation split and tests only the selected one (:mod:`forgetless.app.run.sweep`); ``forgetless presets``, ``activations [--params]``, ``rules``, ``scenarios`` and ``strategies [--params]`` list what
is available (:mod:`forgetless.app.listings`); ``forgetless reproduce [--list] [--quick] [NAME ...]``
re-runs the documented results (:mod:`forgetless.app.reproduce`). A bad config prints one line naming the key and
exits with code 2, before anything is written. ``python -m forgetless`` is the same command.
SIGINT (Ctrl-C) and SIGTERM stop a run the same way: the cells that finished stay in the run
folder, one line says how to resume it (``forgetless compare resume=<run folder>``), and the exit
code is 130 or 143 (128 + the signal's number). ``compare`` and ``sweep`` train through the
Avalanche door: without the ``avalanche`` extra they say so in one line and exit with code 2
(:mod:`forgetless.app.configs.extras_check`); the listings need no extra.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

EXIT_CELLS_FAILED = 1
EXIT_CONFIG = 2
# The shell's convention for a process ended by a signal: 128 + the signal's number.
EXIT_SIGNAL = {"SIGINT": 130, "SIGTERM": 143}


COMPARE_EPILOG = """\
keys (any can be overridden as key=value; --print-config shows them all with their values):
  preset, activations, rules, strategies, seeds, run_name, output_dir, progress,
  loggers (any of tensorboard, csv, wandb: each cell logs under <run>/logs/),
  scenario.{name,n_experiences,source,root,class_order,task_incremental,streaming,seed,
           validation_fraction,evaluate_on},
  model.{kind,hidden,bias,normalized}, optimizer.{name,lr,momentum,weight_decay,initial_accumulator_value},
  train.{batch_size,eval_batch_size,epochs,device,keep_optimizer_state,update_clip},
  activation_params.<activation>.<param>, rule_params.<rule>.<param>,
  strategy_params.<strategy>.<param>, privacy.{enabled,target_epsilon,delta,max_grad_norm,...},
  launcher.{kind,jobs,threads,address,cpus_per_cell,gpus_per_cell}
resume an interrupted run (only launcher.* and progress may be given with it):
  forgetless compare resume=<run folder> [launcher.jobs=N]
what the names can be:
  forgetless presets | forgetless activations --params | forgetless rules | forgetless strategies
"""


SWEEP_EPILOG = """\
every grid point x every (rule, activation, strategy) of the base config is a candidate, trained
on the training data minus scenario.validation_fraction (0.1 unless set) and ranked by its ACC on
that held-out validation split over --select-seeds; only the best is then run on the test stream
with --seeds. Writes <output_dir>/<run_name>/sweep.md and sweep.json (table, test numbers of the
selected config, the forgetless compare command that reproduces them); the same command with the
same run_name continues an interrupted sweep.
"""


def _parser() -> argparse.ArgumentParser:
    from forgetless import __version__

    parser = argparse.ArgumentParser(
        prog="forgetless",
        description="Compare activations, rules and continual-learning strategies on Split-MNIST-style scenarios.",
    )
    parser.add_argument("--version", action="version", version=f"forgetless {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    compare = sub.add_parser(
        "compare",
        help="run a comparison grid (activations x rules x strategies x seeds)",
        description="Overrides are key=value, e.g. preset=split_fashion_mnist activations=[relu,hard_ash] seeds=[0,1,2]",
        epilog=COMPARE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    compare.add_argument("overrides", nargs="*", metavar="key=value")
    compare.add_argument(
        "--print-config", action="store_true", help="print the merged config and exit"
    )
    sweep = sub.add_parser(
        "sweep",
        help="select a config on a validation split, then test the selected one alone",
        description="Base overrides are key=value as in compare; each --grid KEY=[v1,v2,...] "
        "adds a dimension, e.g. forgetless sweep preset=hard_ash_recipe "
        "--grid optimizer.lr=[1e-4,2e-4] --grid model.hidden=[[1000],[4000]]",
        epilog=SWEEP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sweep.add_argument("overrides", nargs="*", metavar="key=value")
    sweep.add_argument(
        "--grid", action="append", default=[], metavar="KEY=[v1,...]", help="a key and its values"
    )
    sweep.add_argument("--random", type=int, metavar="N", help="run N points drawn from the grid")
    sweep.add_argument("--seed", type=int, default=0, help="seed of --random's draw (default 0)")
    sweep.add_argument(
        "--select-seeds", type=int, nargs="+", default=[0], metavar="S", help="default: 0"
    )
    sweep.add_argument(
        "--seeds",
        type=int,
        nargs="+",
        default=[0, 1, 2],
        metavar="S",
        help="the selected config's test seeds (default: 0 1 2)",
    )
    reproduce = sub.add_parser(
        "reproduce",
        help="re-run the documented results and compare them with the recorded numbers",
        description="Each entry is a documented result: its command, recorded values, tolerance "
        "and expected time (docs/reproduce.md). Exit code 1 when any value fails.",
    )
    reproduce.add_argument("names", nargs="*", metavar="NAME", help="entries to run")
    reproduce.add_argument("--list", action="store_true", help="print the entries and exit")
    reproduce.add_argument(
        "--quick", action="store_true", help="run every quick entry (minutes, embedded data)"
    )
    sub.add_parser("presets", help="list the config presets")
    activations = sub.add_parser("activations", help="list the activation names")
    activations.add_argument(
        "--params", action="store_true", help="each parameter with its default and meaning"
    )
    sub.add_parser("rules", help="list the training rules (rules=[...], rule_params.<rule>)")
    sub.add_parser("scenarios", help="list the scenarios (scenario.name) and their classes")
    strategies = sub.add_parser(
        "strategies", help="list the strategies and their defaults (strategy_params.<name>)"
    )
    strategies.add_argument(
        "--params", action="store_true", help="each parameter with its meaning and range"
    )
    return parser


#: The sweep's options that take exactly one value (a ``key=value`` after them is that value).
ONE_VALUE = ("--grid", "--random", "--seed")


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments; ``sweep`` takes its key=value overrides before, between or after its
    options (they are moved in front, so ``--seeds 0 1 key=value`` does not read them as seeds)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sweep"]:
        rest = argv[1:]
        previous = [None, *rest[:-1]]
        is_override = [
            "=" in item and not item.startswith("-") and before not in ONE_VALUE
            for item, before in zip(rest, previous, strict=True)
        ]
        overrides = [item for item, flag in zip(rest, is_override, strict=True) if flag]
        options = [item for item, flag in zip(rest, is_override, strict=True) if not flag]
        argv = ["sweep", *overrides, *options]
    return _parser().parse_args(argv)


def _sweep(args: argparse.Namespace) -> int:
    from forgetless.app.run.signals import sigterm_as_interrupt
    from forgetless.app.run.sweep import SweepSpec, run_sweep

    spec = SweepSpec(
        overrides=tuple(args.overrides),
        grid=tuple(args.grid),
        random=args.random,
        seed=args.seed,
        select_seeds=tuple(args.select_seeds),
        seeds=tuple(args.seeds),
    )
    with sigterm_as_interrupt():
        run_sweep(spec)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    if args.command == "reproduce":
        from forgetless.app.reproduce.command import main as reproduce

        return reproduce(args.names, quick=args.quick, show_list=args.list)
    if args.command not in ("compare", "sweep"):
        from forgetless.app import listings

        if args.command in ("activations", "strategies"):
            lines = getattr(listings, args.command)(with_params=args.params)
        else:
            lines = getattr(listings, args.command)()
        print("\n".join(lines))
        return 0

    from omegaconf import OmegaConf

    from forgetless.app.configs import ConfigError, load_config, validate
    from forgetless.app.run.signals import Terminated, sigterm_as_interrupt

    resume = [o.partition("=")[2] for o in args.overrides if o.startswith("resume=")]
    try:
        if not getattr(args, "print_config", False):  # before anything starts or is written
            from forgetless.app.configs.extras_check import require_avalanche_door

            require_avalanche_door(f"forgetless {args.command}")
        if args.command == "sweep":
            return _sweep(args)
        if resume:
            from forgetless.app.run.cell_store import load_run_config

            rest = [o for o in args.overrides if not o.startswith("resume=")]
            cfg = load_run_config(resume[-1], rest)
        else:
            cfg = load_config(args.overrides)
        if not args.print_config:
            _start_launcher(cfg)
        validate(cfg)
        if args.print_config:
            print(OmegaConf.to_yaml(cfg))
            return 0
        from forgetless.app.run.compare import failed_cells, run_compare

        with sigterm_as_interrupt():
            folder = run_compare(cfg, resume=resume[-1] if resume else None)
        failures = failed_cells(folder)
        if failures:
            print(
                f"forgetless: error: {len(failures)} cell(s) failed (tracebacks in "
                f"{folder / 'errors.log'}): " + "; ".join(failures),
                file=sys.stderr,
            )
            return EXIT_CELLS_FAILED
    except KeyboardInterrupt as interrupt:  # SIGINT, or SIGTERM (Terminated)
        signal = "SIGTERM" if isinstance(interrupt, Terminated) else "SIGINT"
        folder = getattr(interrupt, "run_folder", None)
        kept = (
            f"finished cells are kept; continue with: forgetless compare resume={folder}"
            if folder is not None
            else "nothing was written"
        )
        sweep = getattr(interrupt, "sweep_folder", None)
        if sweep is not None:
            kept = (
                f"finished points are kept in {sweep}; continue with the same forgetless sweep "
                f"command and run_name={sweep.name}"
            )
        print(f"forgetless: stopped by {signal}; {kept}", file=sys.stderr)
        return EXIT_SIGNAL[signal]
    except (ConfigError, FileExistsError, *_data_errors()) as error:
        print(f"forgetless: error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except ValueError as error:  # a scenario argument the validator could not foresee
        print(f"forgetless: error: {str(error).splitlines()[0]}", file=sys.stderr)
        return EXIT_CONFIG
    finally:
        if "forgetless.app.run.ray_launcher" in sys.modules:  # a config error after connect()
            sys.modules["forgetless.app.run.ray_launcher"].disconnect()
    return 0


def _start_launcher(cfg: Any) -> None:
    """Start the local workers' fork server, or Ray and its actors, before this process imports
    torch and loads the data, so that their imports overlap ours (a no-op for ``jobs=1``).
    Only the launcher section is checked first; the rest is validated meanwhile."""
    from forgetless.app.configs.launcher_check import check_launcher
    from forgetless.app.run.process_context import start_early

    check_launcher(cfg.launcher)
    start_early(cfg.launcher)
    if cfg.launcher.kind == "ray":
        from forgetless.app.run.ray_launcher import connect

        connect(cfg)


def _data_errors() -> tuple[type[Exception], ...]:
    """The data-loading errors that exit with code 2 (imported only when one is raised: the
    scenarios package imports torch)."""
    from forgetless.scenarios import CorruptDataFileError, DatasetUnavailableError

    return DatasetUnavailableError, CorruptDataFileError


if __name__ == "__main__":
    sys.exit(main())
