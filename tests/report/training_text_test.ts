/** How a configuration trained, in the report's words: D's and G's optimisers when they differ. */
import assert from "node:assert/strict";
import { trainingText } from "../../lib/report/sections.ts";
import { config } from "../_config.ts";

Deno.test("trainingText: one optimiser when D's and G's agree, both when dOptimizer or gOptimizer differ", () => {
  const shared = config({ optimizer: { name: "adam", lr: 2e-4 } });
  assert.match(trainingText(shared), /; Adam \(lr 0\.0002, beta1 0\.5\); /);
  const ttur = config({ optimizer: { name: "adam", lr: 2e-4 }, dOptimizer: { lr: 6e-4 } });
  assert.match(
    trainingText(ttur),
    /; D: Adam \(lr 0\.0006, beta1 0\.5\), G: Adam \(lr 0\.0002, beta1 0\.5\); /,
  );
  const sgdG = config({
    optimizer: { name: "adam", lr: 2e-4 },
    gOptimizer: { name: "sgd", lr: 0.1 },
  });
  assert.match(
    trainingText(sgdG),
    /D: Adam \(lr 0\.0002, beta1 0\.5\), G: SGD \(lr 0\.1, momentum 0\)/,
  );
});
