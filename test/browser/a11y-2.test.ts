import { accessibilityGate } from './a11y.js';

await accessibilityGate(1, 2);
