"""`python -m bp_kernel -f CONNECTION_FILE`: what the kernelspec runs."""
from ipykernel.kernelapp import IPKernelApp

from .kernel import BpKernel

IPKernelApp.launch_instance(kernel_class=BpKernel)
