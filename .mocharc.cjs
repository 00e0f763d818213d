// mocha's settings for every lane. Under CI=true a skipped (pending) test fails the run: a missing
// dependency must never pass unnoticed there (.ci/run installs what the tests need), nor a forgotten .only.
module.exports = {
  require: ['tsx/cjs'],
  extension: ['ts'],
  reporter: 'spec',
  'forbid-pending': process.env.CI === 'true',
  'forbid-only': process.env.CI === 'true',
};
