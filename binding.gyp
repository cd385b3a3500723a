# node-gyp build of the two native programs. The source lists and the
# compile flags live in native/sources.json, shared with CMakeLists.txt (cmake-js).
{
  "variables": {
    "ts_oci_version": "<!(node -p \"require('./package.json').version\")",
  },
  "target_defaults": {
    "include_dirs": ["native"],
    # The compile flags, shared with CMakeLists.txt (native/sources.json);
    # test/unit/build-flags.test.js checks neither file adds its own.
    "cflags_cc": ["<!@(node -p \"require('./native/sources.json').cxxflags.join(' ')\")"],
    # common.gypi asks for -O3; -O2 is the level the flags above are tested with.
    "cflags!": ["-O3"],
    "cflags_cc!": ["-std=gnu++17"],
  },
  "targets": [
    {
      "target_name": "ts_oci",
      "sources": ["<!@(node -p \"require('./native/sources.json').addon.join(' ')\")"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_DISABLE_CPP_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "TS_OCI_VERSION=\"<(ts_oci_version)\"",
      ],
      # The prebuilt .node must need nothing beyond glibc on the target host.
      "ldflags": ["-static-libstdc++", "-static-libgcc"],
    },
    {
      "target_name": "ts-oci-init",
      "type": "executable",
      "sources": ["<!@(node -p \"require('./native/sources.json').init.join(' ')\")"],
      # Static: it runs inside the container, independent of the rootfs, with no loader.
      "ldflags": ["-static"],
      "ldflags!": ["-rdynamic"],
    },
  ],
}
