module.exports = require('../../jest.preset.cjs').withMiddy(__dirname);
