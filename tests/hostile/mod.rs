//! Hostile input: what a pull request's author controls (plans, inventories, comment bodies,
//! file names, arguments) never hangs keyblast, exhausts its memory or stack, leaks a secret
//! or forges a line of its messages.

/// Deep module trees are read and followed; hostile depth is an error, not a stack overflow.
mod depth;
