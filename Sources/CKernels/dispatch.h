#ifndef BP_DISPATCH_H
#define BP_DISPATCH_H
// The x86-64 vector kernels are built where the compiler targets x86-64; BP_PORTABLE leaves
// them out, so an x86 machine can check that the plain loops alone (what arm64 gets) build:
// scripts/test compiles the target that way.
#if defined(__x86_64__) && !defined(BP_PORTABLE)
#define BP_X86 1
#else
#define BP_X86 0
#endif
#endif
