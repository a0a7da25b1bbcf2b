/** The kernel modules shipped as files beside the bundles (the plain single-memory one is inlined). */
export const SEPARATE_MODULES: readonly string[];
