/**
 * The handler's tests run on the Node.js major the function deploys on: `npm test` runs jest with the
 * Node binary of the `node` devDependency, whatever Node the machine has.
 */
import { expect, test } from '@jest/globals';
import { HANDLER_RUNTIME } from '../../lib/defaults.ts';

test('jest runs on the major of the deployed runtime', () => {
  // Arrange
  const deployedMajor = /^nodejs(\d+)\.x$/.exec(HANDLER_RUNTIME.name)?.[1];
  // Act
  const runningMajor = process.versions.node.split('.')[0];
  // Assert
  expect(deployedMajor).toBeDefined();
  expect(runningMajor).toBe(deployedMajor);
});
