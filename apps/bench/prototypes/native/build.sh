#!/usr/bin/env bash
# Build the prototype addon against the OpenBLAS inside NumPy's wheel (numpy.libs/), with the
# Node headers of this machine (/usr/include/node). Writes build/openblas.node. Prototype only:
# nothing in the packages, tests or CI uses it.
set -euo pipefail
cd "$(dirname "$0")"
libs=$(python3 -c 'import numpy, os; print(os.path.join(os.path.dirname(os.path.dirname(numpy.__file__)), "numpy.libs"))')
lib=$(ls "$libs" | grep -m1 '^libscipy_openblas64_.*\.so')
headers=${NODE_HEADERS:-/usr/include/node}
mkdir -p build
gcc -O2 -shared -fPIC -DNODE_GYP_MODULE_NAME=openblas -I"$headers" openblas-addon.c -o build/openblas.node -L"$libs" -l:"$lib" -Wl,-rpath,"$libs"
echo "built build/openblas.node against $libs/$lib"
