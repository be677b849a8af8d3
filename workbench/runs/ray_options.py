"""The command line's Ray options, shared by `workbench run` and `workbench search`."""

from __future__ import annotations

import argparse

from workbench.errors import print_error
from workbench.i18n import _


def add_ray_options(
    parser: argparse.ArgumentParser, ray_help: str, cpus_flag: str, gpus_flag: str, asker: str
) -> None:
    """`--ray ADDRESS` and the CPUs and GPUs that each `asker` asks of the cluster."""
    parser.add_argument("--ray", metavar="ADDRESS", type=_address, help=ray_help)
    parser.add_argument(
        cpus_flag,
        type=_amount(zero=False),
        default=1,
        metavar="N",
        help=f"CPUs {asker} asks of the cluster (default 1)",
    )
    parser.add_argument(
        gpus_flag,
        type=_amount(zero=True),
        default=0,
        metavar="N",
        help=f"GPUs {asker} asks of the cluster (default 0)",
    )


def join(address: str) -> bool:
    """Join the cluster at `address`; False after one error line when it cannot be used."""
    from workbench.runs.ray_run import ClusterError, connect

    try:
        connect(address)
    except ClusterError as error:
        print_error(f"{error}")
        return False
    return True


def _address(text: str) -> str:
    from workbench.runs.ray_run import address_problem

    problem = address_problem(text)
    if problem is not None:
        raise argparse.ArgumentTypeError(problem)
    return text


def _amount(zero: bool):  # noqa: ANN202 - an argparse type
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                _("{text} is not a number").format(text=repr(text))
            ) from None
        if value < 0 or (value == 0 and not zero) or value != value:
            raise argparse.ArgumentTypeError(
                _("must be 0 or more") if zero else _("must be more than 0")
            )
        return value

    return parse
