#ifndef LOOKOUT_CPREFETCH_H
#define LOOKOUT_CPREFETCH_H
/* A cache prefetch hint, which Swift has no spelling for. Header only: nothing to link. */

/// Asks the CPU to bring the cache line holding `address` in for a write soon, without waiting
/// for it (a plain load would hold the pipeline until the line arrives).
static inline void lookout_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}
#endif
