const path = require('node:path');
const base = require('../../jest.preset.cjs')(__dirname);

// @middy/core is ESM-only: map it to its entry file and let ts-jest transpile it to CJS.
const middyDir = require('node:fs').realpathSync(path.join(__dirname, 'node_modules/@middy/core'));

module.exports = {
  ...base,
  moduleNameMapper: {
    ...base.moduleNameMapper,
    '^@middy/(core|util)$': path.join(middyDir, '..', '$1', 'index.js'),
  },
  transform: {
    ...base.transform,
    '^.+/@middy/(core|util)/.+\\.js$': [
      'ts-jest',
      {
        tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true },
        diagnostics: false,
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!\\.pnpm/@middy\\+|@middy/)'],
};
