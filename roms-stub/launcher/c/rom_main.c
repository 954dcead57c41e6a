/* The app manager's translation unit: guest-sdk/c/program.c with a `guest_main` that can be
 * called more than once.
 *
 * boot.S calls guest_main once; after that the UI shell (palm-shim, launch.rs) calls it again
 * every time a card application returns or Home is pressed. The SDK's guest_main instantiates
 * the wasm module on every call, and the runtime allows one linear memory per program (and
 * allocates the module's tables from a fixed pool), so a second instantiation stops the
 * machine. Here the module is instantiated on the first call only; later calls run its
 * exported guest_main again on the same instance (Rust statics and the heap persist: the app
 * manager keeps no state between runs, it frees everything before returning). */

#define guest_main sdk_guest_main_first_run
#include "program.c"
#undef guest_main

uint32_t guest_main(void);

uint32_t guest_main(void) {
  static int instantiated;
  if (!instantiated) {
    instantiated = 1;
    return sdk_guest_main_first_run();
  }
  return Z_guestZ_guest_main(&sdk_instance);
}
