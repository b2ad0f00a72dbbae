{
  "targets": [
    {
      "target_name": "tsvs_native",
      "sources": ["native/tsvs_native.c"],
      "cflags": ["-std=gnu11", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "conditions": [["OS!='linux'", {"sources!": ["native/tsvs_native.c"]}]]
    }
  ]
}
