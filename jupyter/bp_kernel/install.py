"""Installs the bp kernelspec: `python -m bp_kernel.install [--sys-prefix | --user | --prefix P]`.

The kernelspec runs this package with the Python that installs it (so the kernel runs in the
environment that has ipykernel). Kernel name `bp`, display name "bp", language `bp`.
"""
import argparse
import json
import os
import sys
import tempfile

from jupyter_client.kernelspec import KernelSpecManager


def kernel_json() -> dict:
    return {
        "argv": [sys.executable, "-m", "bp_kernel", "-f", "{connection_file}"],
        "display_name": "bp",
        "language": "bp",
        # Jupyter's interrupt is SIGINT to the kernel process, which passes it on to bp
        "interrupt_mode": "signal",
        "metadata": {"debugger": False},
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Install the bp kernelspec")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--sys-prefix", action="store_true",
                       help="into sys.prefix (the virtual environment); the default")
    where.add_argument("--user", action="store_true", help="into the user's Jupyter folder")
    where.add_argument("--prefix", help="into PREFIX/share/jupyter/kernels")
    args = parser.parse_args(argv)
    prefix = None if args.user else (args.prefix or sys.prefix)
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o755)
        with open(os.path.join(folder, "kernel.json"), "w") as f:
            json.dump(kernel_json(), f, indent=2)
            f.write("\n")
        path = KernelSpecManager().install_kernel_spec(folder, "bp", user=args.user,
                                                       prefix=prefix)
    print(f"installed the bp kernelspec in {path}")


if __name__ == "__main__":
    main()
