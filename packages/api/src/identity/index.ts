import { defineContext } from "../platform/context-module.js";
import { PrismaClient, type Prisma } from "./generated/client.js";
import { signInLimits, signInThrottle, signUpLimits } from "./limits.js";
import { identityRouter, identityService } from "./router.js";
import { IdentityService } from "./service.js";

export const identityContext = defineContext<PrismaClient, Prisma.TransactionClient>({
  name: "identity",
  Client: PrismaClient,
  router: identityRouter,
  async setup(rt) {
    identityService.set(new IdentityService(rt));
    signInLimits.attach(rt);
    signInThrottle.attach(rt);
    signUpLimits.attach(rt);
    rt.onStop(() => {
      identityService.set(undefined);
      signInLimits.detach();
      signInThrottle.detach();
      signUpLimits.detach();
    });
  },
});
