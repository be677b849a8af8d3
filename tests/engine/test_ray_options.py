"""`--ray` and the CPUs and GPUs it asks for, checked as the command line is read: a wrong
address or amount is refused before Ray is imported or anything is recorded (no Ray needed)."""

import pytest

from workbench.cli import build_parser as run_parser
from workbench.search.cli import build_parser as search_parser


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--ray", "headnode"], "argument --ray: write the port after the host"),
        (["--ray", "http://head:6379"], "argument --ray: write HOST:PORT or ray://HOST:PORT"),
        (["--ray", "head:port"], "argument --ray: the port must be a number"),
        (["--ray", "local", "--ray-cpus", "0"], "argument --ray-cpus: must be more than 0"),
        (["--ray", "local", "--ray-gpus", "-1"], "argument --ray-gpus: must be 0 or more"),
        (["--ray", "local", "--ray-cpus", "two"], "argument --ray-cpus: 'two' is not a number"),
    ],
)
def test_a_wrong_ray_option_is_refused_naming_it(capsys, argv, said):
    with pytest.raises(SystemExit) as exited:
        run_parser().parse_args(["e.toml", *argv])
    assert exited.value.code == 2
    assert said in capsys.readouterr().err


def test_the_search_asks_per_trial_task(capsys):
    args = search_parser().parse_args(["s.toml", "--ray", "ray://head:10001", "--trial-gpus", "1"])
    assert (args.ray, args.trial_cpus, args.trial_gpus) == ("ray://head:10001", 1.0, 1.0)
    with pytest.raises(SystemExit):
        search_parser().parse_args(["s.toml", "--ray", "auto", "--trial-cpus", "nan"])
    assert "argument --trial-cpus: must be more than 0" in capsys.readouterr().err


def test_a_run_accepts_every_form_of_address():
    for address in ("auto", "local", "10.0.0.5:6379", "ray://head.example:10001", "ray://h"):
        assert run_parser().parse_args(["e.toml", "--ray", address]).ray == address
