module.exports = require('../../jest.preset.cjs')(__dirname, {
  coverageThreshold: { global: { lines: 95, statements: 95, branches: 88, functions: 90 } },
});
