#!/usr/bin/env bash
# Spark GPU discovery script: prints the GPUs nvidia-smi sees as {"name": "gpu", "addresses": ["0", "1", ...]}.
# Spark runs it on each executor (spark.executor.resource.gpu.discoveryScript) or worker.
set -euo pipefail
addresses=$(nvidia-smi --query-gpu=index --format=csv,noheader | sed -e 's/^ *//' -e 's/ *$//' \
  | awk 'BEGIN { ORS = "" } { printf "%s\"%s\"", (NR > 1 ? ", " : ""), $0 }')
echo "{\"name\": \"gpu\", \"addresses\": [$addresses]}"
