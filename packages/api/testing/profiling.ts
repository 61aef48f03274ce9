/**
 * `@baedal/api/profiling`: what the bench's span probe (bench/profile/spans-probe.mjs) times in an
 * order process run from source. Loaded through this package, it is the very module that process
 * runs (the same file), so the prototype the probe wraps is the one every order goes through.
 * Nothing the contexts' processes run imports it.
 */
export { CheckoutSaga } from "../src/order/checkout-saga.js";
