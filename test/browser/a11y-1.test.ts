import { accessibilityGate } from './a11y.js';

await accessibilityGate(0, 2);
