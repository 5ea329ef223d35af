// Flip Electron's fuses in the packaged binary (Electron security checklist item 19):
// no ELECTRON_RUN_AS_NODE, no NODE_OPTIONS, no --inspect, encrypted cookies, asar integrity,
// and the app loads only from its asar.
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');
const path = require('node:path');

exports.default = async function afterPack(context) {
  const name = context.packager.appInfo.productFilename;
  const exe = {
    darwin: path.join(context.appOutDir, `${name}.app`),
    win32: path.join(context.appOutDir, `${name}.exe`),
    linux: path.join(context.appOutDir, context.packager.executableName ?? name),
  }[context.electronPlatformName];
  await flipFuses(exe, {
    version: FuseVersion.V1,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
  });
};
