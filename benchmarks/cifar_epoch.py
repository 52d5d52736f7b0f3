"""Time one training epoch of the reduced ResNet-18 on Split-CIFAR-10-sized data, per activation.

The data are synthetic CIFAR-10 files written in torchvision's layout
(``write_synthetic_cifar`` of ``tests/synthetic_cifar.py``; full size is 5,000 training
images per class, 50,000 in all) and read back by the real loader
(:func:`forgetless.scenarios.split_cifar10`), so nothing is downloaded. For each activation the
script builds the reduced ResNet-18 of "Gradient Episodic Memory for Continual Learning"
(Lopez-Paz & Ranzato, 2017; nf = 20), swaps its 17 ReLUs (:func:`swap_activations`), and trains
one epoch over every training image (SGD lr 0.1, shuffled, cross-entropy on the 10-way head),
after one warm-up batch that is not timed. It prints seconds per epoch, images per second and
the peak CUDA memory, and writes them to ``--out`` as JSON.

    python benchmarks/cifar_epoch.py                                 # full size, cuda if present
    python benchmarks/cifar_epoch.py --train-per-class 50 --device cpu --activations relu hard_ash

``--root`` reuses (or keeps) the synthetic files; by default they go to a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader

from forgetless.activations import swap_activations
from forgetless.models import ReducedResNet18
from forgetless.scenarios import split_cifar10

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the test-only writer
from synthetic_cifar import write_synthetic_cifar  # noqa: E402

DEFAULT_ACTIVATIONS = ["relu", "elephant", "hard_ash", "tempered_sigmoid", "aglu"]


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_epoch(activation: str, data: torch.utils.data.Dataset, args: argparse.Namespace) -> dict:
    """Train one epoch of the reduced ResNet-18 with ``activation``; return its measurements."""
    device = torch.device(args.device)
    torch.manual_seed(0)
    model = ReducedResNet18(num_classes=10)
    swap_activations(model, activation)
    model.to(device).train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loader = DataLoader(
        data, batch_size=args.batch_size, shuffle=True, generator=torch.Generator().manual_seed(0)
    )

    def step(x: torch.Tensor, y: torch.Tensor) -> float:
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss.detach()

    x, y = next(iter(loader))
    step(x, y)  # warm-up (kernel selection, lazy parameters), not timed
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
    _sync(device)
    start = time.perf_counter()
    images = 0
    for x, y in loader:
        loss = step(x, y)
        images += len(y)
    _sync(device)
    seconds = time.perf_counter() - start
    return {
        "activation": activation,
        "images": images,
        "seconds": round(seconds, 3),
        "images_per_second": round(images / seconds, 1),
        "last_loss": round(float(loss), 4),
        "peak_cuda_mb": (
            round(torch.cuda.max_memory_allocated(device) / 2**20, 1)
            if device.type == "cuda"
            else None
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--activations", nargs="+", default=DEFAULT_ACTIVATIONS)
    parser.add_argument("--train-per-class", type=int, default=5000, help="5000 = full CIFAR-10")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    parser.add_argument("--root", type=Path, default=None, help="folder for the synthetic files")
    parser.add_argument("--out", type=Path, default=Path("cifar_epoch.json"))
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    with tempfile.TemporaryDirectory() as tmp:
        root = args.root or Path(tmp)
        folder = root / "cifar-10-batches-py"
        if not (folder / "test_batch").is_file():
            started = time.perf_counter()
            write_synthetic_cifar(root, "cifar10", train_per_class=args.train_per_class)
            print(f"wrote synthetic CIFAR-10 in {time.perf_counter() - started:.1f} s: {folder}")
        started = time.perf_counter()
        scenario = split_cifar10(n_experiences=1, root=root)
        print(f"loaded {len(scenario.train[0])} training images in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        # the whole training set as one experience: inputs prepared once, as a tensor dataset
        inputs, targets = scenario.train[0].tensors()
        data = torch.utils.data.TensorDataset(inputs, targets)
        results = []
        for activation in args.activations:
            result = time_epoch(activation, data, args)
            results.append(result)
            print(json.dumps(result))
    meta = {"device": args.device, "batch_size": args.batch_size, "torch": torch.__version__}
    if args.device.startswith("cuda"):
        meta["gpu"] = torch.cuda.get_device_name()
    else:
        meta["threads"] = torch.get_num_threads()
    args.out.write_text(json.dumps({"setup": meta, "results": results}, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
