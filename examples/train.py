#!/usr/bin/env python3
"""Train a model through the Prediction One training API, the way the manual's Python examples do.

Environment:
  P1_HOST          base URL of the server            (default http://127.0.0.1:8080)
  P1_SECRET_KEY    secret key (npm start prints it; also DATA_DIR/secret-key.txt)
  P1_TRAIN_CSV     training CSV                      (required)
  P1_TARGET        target column (tc)                (required)
  P1_TASK          binary_classification | multi_classification | regression (default binary_classification)
  P1_POSITIVE      positive class (tv), binary only
  P1_EVAL_CSV      optional evaluation CSV
  P1_POLL_SECONDS  seconds between status polls      (default 30, as in the manual)
  P1_RESULT_ZIP    where to save the result zip      (default result.zip)

Needs the `requests` package. Prints the result zip's file list at the end.
"""
import csv
import io
import json
import os
import sys
import time
import urllib.parse
import zipfile

import requests

HOST = os.environ.get("P1_HOST", "http://127.0.0.1:8080").rstrip("/")
SECRET_KEY = os.environ["P1_SECRET_KEY"]
TRAIN_CSV = os.environ["P1_TRAIN_CSV"]
TARGET = os.environ["P1_TARGET"]
TASK = os.environ.get("P1_TASK", "binary_classification")
POSITIVE = os.environ.get("P1_POSITIVE")
EVAL_CSV = os.environ.get("P1_EVAL_CSV")
POLL_SECONDS = float(os.environ.get("P1_POLL_SECONDS", "30"))
RESULT_ZIP = os.environ.get("P1_RESULT_ZIP", "result.zip")


def check(response):
    """Stop with the server's error body ({code, error, message}) on any failure."""
    if response.status_code != 200:
        sys.exit(f"{response.request.method} {response.url} -> {response.status_code}: {response.text}")
    return response


def read_text(path):
    """The file's text: UTF-8 (with or without BOM) or else Shift_JIS (CP932), the two encodings
    the server accepts."""
    data = open(path, "rb").read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp932")


def column_info_csv(path):
    """column_info.csv (UTF-8 with BOM, as in the manual): float if every value of the first
    1,000 rows is a number, else string."""
    with io.StringIO(read_text(path), newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        numeric = [True] * len(header)
        for i, row in enumerate(reader):
            if i >= 1000:
                break
            for j, value in enumerate(row[: len(header)]):
                if value.strip() == "":
                    continue
                try:
                    float(value)
                except ValueError:
                    numeric[j] = False
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["column_name", "column_type"])
    for name, is_number in zip(header, numeric):
        writer.writerow([name, "float" if is_number else "string"])
    return out.getvalue().encode("utf-8-sig")


# 1. Secret key -> train API key.
api_key = check(requests.get(f"{HOST}/v1/external/api-key",
                             headers={"x-api-key": SECRET_KEY},
                             params={"credential_type": "train"})).json()["api_key"]
headers = {"x-api-key": api_key}

# 2. Upload URLs, then PUT the files (no API key on the signed URLs).
urls = check(requests.get(f"{HOST}/v1/external/data-sets/upload-url",
                          headers=headers, params={"extension": "csv"})).json()
process_id = urls["external_process_id"]
def named(path):
    """Content-Disposition with the file's name (ours, optional): it names the data set."""
    return {"Content-Disposition": "attachment; filename*=UTF-8''" + urllib.parse.quote(os.path.basename(path))}


with open(TRAIN_CSV, "rb") as f:
    check(requests.put(urls["learn_data_set_upload_url"], data=f, headers=named(TRAIN_CSV)))
check(requests.put(urls["column_info_upload_url"], data=column_info_csv(TRAIN_CSV)))
if EVAL_CSV:
    with open(EVAL_CSV, "rb") as f:
        check(requests.put(urls["eval_data_set_upload_url"], data=f, headers=named(EVAL_CSV)))

# 3. Column analysis (optional step in the manual).
info = check(requests.get(f"{HOST}/v1/external/data-sets/column-info", headers=headers,
                          params={"external_process_id": process_id, "target": TARGET})).json()
print(f"{info['trainingdata_row_count']} rows, columns: {', '.join(info['raw_column_names'])}")

# 4. Train.
config = {"tc": TARGET, "tt": TASK}
if POSITIVE is not None:
    config["tv"] = POSITIVE
body = {"external_process_id": process_id, "name": os.path.basename(TRAIN_CSV), "config": config}
check(requests.post(f"{HOST}/v1/external/models", headers=headers, json=body))

# 5. Poll until finished, then download the result zip.
while True:
    status = check(requests.get(f"{HOST}/v1/external/models/results", headers=headers,
                                params={"external_process_id": process_id})).json()
    if status["status"] == "finished":
        break
    if status["status"] == "failed":
        sys.exit(f"training failed: {status.get('message')}")
    print(f"status: {status['status']} {status.get('progress', '')}")
    time.sleep(POLL_SECONDS)

result = requests.get(status["result_url"])
check(result)
with open(RESULT_ZIP, "wb") as f:
    f.write(result.content)
print(json.dumps({"model_id": status.get("model_id"), "external_process_id": process_id}))
with zipfile.ZipFile(RESULT_ZIP) as z:
    for name in z.namelist():
        print(name)
