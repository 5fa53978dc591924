"""S3 against an S3-compatible server (moto, Debian 13's, started on loopback; one with IAM authentication on, so
that every request's signature is checked): IOLink writes a Zarr v3 store (sharded), an OME-Zarr image and a .npy (a multipart
upload) to a bucket and reads them back; boto3 sees exactly the objects written and zarr-python 3 reads the array
(fetched with boto3: s3fs is not packaged); wrong credentials are one PermissionError naming the bucket and never
the secret; Dask workers of a distributed LocalCluster read the array from the bucket themselves."""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time

import numpy as np
import pytest

boto3 = pytest.importorskip("boto3")
pytest.importorskip("moto")
pytest.importorskip("flask_cors")

from iolink import ImageTypeId, ImageViewFactory, LodImageViewFactory, NumpyInterop, RegionXu64, ZarrArray  # noqa: E402
from iolink._dotnet import location, net  # noqa: E402

BUCKET = "lab"
SECRET_WORDS = "iolink-test-secret"


def _moto(auth):
    """moto's server on a free loopback port, and its endpoint. With auth, IAM checks every request after the first
    four (the user, its key, its policy, the bucket): signatures are verified."""
    binary = shutil.which("moto_server")
    if binary is None:
        pytest.skip("moto_server is not installed (Debian 13's python3-moto)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT="4") if auth else dict(os.environ)
    server = subprocess.Popen([binary, "-H", "127.0.0.1", "-p", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(200):
        if server.poll() is not None:
            raise RuntimeError("moto_server exited: %s" % server.stderr.read().decode())
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return server, "http://127.0.0.1:%d" % port


def _serve(auth):
    """The server, a boto3 client with a key of its own and the bucket made; AWS_* point at it while in use."""
    server, endpoint = _moto(auth)
    saved = {k: os.environ.get(k) for k in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_SESSION_TOKEN")}
    try:
        plain = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="setup", aws_secret_access_key="setup")
        iam = boto3.client("iam", **plain)
        iam.create_user(UserName="iolink")
        key = iam.create_access_key(UserName="iolink")["AccessKey"]
        iam.put_user_policy(UserName="iolink", PolicyName="everything", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                              aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
        client.create_bucket(Bucket=BUCKET)
        os.environ.update(AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID=key["AccessKeyId"],
                          AWS_SECRET_ACCESS_KEY=key["SecretAccessKey"], AWS_REGION="us-east-1")
        os.environ.pop("AWS_SESSION_TOKEN", None)
        yield client
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        server.kill()
        server.wait()


@pytest.fixture
def s3():
    """A server that takes every request (moto 5.1 cannot verify a signed query holding an encoded '/', which a
    listing by prefix is, even from boto3): what IOLink writes and reads."""
    yield from _serve(auth=False)


@pytest.fixture
def s3_auth():
    """A server that verifies every signature: IOLink's reads, writes and multipart uploads pass, wrong keys do not."""
    yield from _serve(auth=True)


def volume(shape=(48, 64, 96)):
    return (np.arange(int(np.prod(shape)), dtype=np.uint64) * 7919 % 60000).astype(np.uint16).reshape(shape)


def as_numpy(view):
    return NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(view))


def objects(client, prefix):
    return sorted(o["Key"] for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix) for o in page.get("Contents", []))


def test_zarr_written_to_s3_reads_back_in_iolink_and_zarr_python(s3):
    a = volume()
    ZarrArray.write(NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME), "s3://%s/scans/ct.zarr" % BUCKET,
                    chunks=(32, 32, 16), shards=(96, 64, 16))
    keys = objects(s3, "scans/ct.zarr/")
    assert keys[-1] == "scans/ct.zarr/zarr.json" and all(k.startswith("scans/ct.zarr/c/") for k in keys[:-1]), keys
    assert len(keys) == 1 + 3   # the metadata and one object per shard (48 z / 16)

    view = ZarrArray.open("s3://%s/scans/ct.zarr" % BUCKET)
    np.testing.assert_array_equal(as_numpy(view), a)
    region = np.empty((16, 20, 30), np.uint16)
    view.read_region(RegionXu64((5, 7, 20), (30, 20, 16)), region)
    np.testing.assert_array_equal(region, a[20:36, 7:27, 5:35])

    zarr = pytest.importorskip("zarr")
    if int(zarr.__version__.split(".")[0]) >= 3:
        folder = tempfile.mkdtemp()
        try:
            for key in keys:
                target = os.path.join(folder, key)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                s3.download_file(BUCKET, key, target)
            np.testing.assert_array_equal(zarr.open_array(os.path.join(folder, "scans", "ct.zarr"), mode="r")[...], a)
        finally:
            shutil.rmtree(folder)


def test_an_ome_zarr_pyramid_goes_to_s3_and_a_used_prefix_is_refused(s3):
    a = volume()
    pyramid = LodImageViewFactory.downsample(NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME), 2)
    ZarrArray.write(pyramid, "s3://%s/img.ome.zarr" % BUCKET, chunks=(32, 32, 16))
    lod = ZarrArray.open_lod("s3://%s/img.ome.zarr" % BUCKET)
    assert lod.level_range() == (0, 1)
    np.testing.assert_array_equal(as_numpy(lod.resolution(0)), a)
    with pytest.raises(OSError, match="already holds objects"):
        ZarrArray.write(NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME), "s3://%s/img.ome.zarr" % BUCKET)


def test_a_large_npy_is_a_multipart_upload(s3):
    a = volume((40, 512, 512))   # 20 MiB: two parts of 16 MiB
    view = NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME)   # kept alive while .NET writes it
    net.NpyFile.Write(view._net, location("s3://%s/big.npy" % BUCKET), None, None)
    body = s3.get_object(Bucket=BUCKET, Key="big.npy")
    assert body["ContentLength"] > 16 << 20 and "-" in body["ETag"]   # a multipart object's ETag names its parts
    local = os.path.join(tempfile.mkdtemp(), "big.npy")
    with open(local, "wb") as f:
        f.write(body["Body"].read())
    np.testing.assert_array_equal(np.load(local), a)
    shutil.rmtree(os.path.dirname(local))
    opened = net.NpyFile.Open("s3://%s/big.npy" % BUCKET, net.ImageTypeId.VOLUME)
    assert tuple(int(opened.Shape[i]) for i in range(3)) == (512, 512, 40)


def test_signatures_pass_a_server_that_checks_them(s3_auth):
    location("s3://%s/" % BUCKET)   # this process's AWS_* variables, over to .NET
    store = net.Storage.S3Store(BUCKET, "signed", None, False)
    upload = store.OpenUpload("a b/c.bin", 5 << 20)   # a small object: one PUT
    upload.Write(bytes(range(200)), 0, 200)
    upload.Complete()
    upload.Dispose()
    value = store.Get("a b/c.bin", net.Storage.ByteRange.Of(10, 5), 1000)
    assert bytes(value.ToArray()) == bytes(range(10, 15))
    value.Dispose()
    assert s3_auth.get_object(Bucket=BUCKET, Key="signed/a b/c.bin")["Body"].read() == bytes(range(200))
    a = volume((40, 512, 512))   # a multipart upload: its start, parts and completion are signed requests too
    view = NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME)
    net.NpyFile.Write(view._net, location("s3://%s/signed/big.npy" % BUCKET), None, None)
    assert s3_auth.head_object(Bucket=BUCKET, Key="signed/big.npy")["ContentLength"] > 20 << 20


def test_wrong_credentials_are_one_permission_error_naming_the_bucket(s3_auth):
    s3_auth.put_object(Bucket=BUCKET, Key="small.zarr/zarr.json", Body=b"{}")
    right = os.environ["AWS_SECRET_ACCESS_KEY"]
    os.environ["AWS_SECRET_ACCESS_KEY"] = SECRET_WORDS
    try:
        with pytest.raises(PermissionError) as error:
            ZarrArray.open("s3://%s/small.zarr" % BUCKET)
    finally:
        os.environ["AWS_SECRET_ACCESS_KEY"] = right
    message = str(error.value)
    assert "/%s/small.zarr" % BUCKET in message and "403" in message and "SignatureDoesNotMatch" in message
    assert SECRET_WORDS not in message and right not in message


def test_dask_workers_read_the_array_from_the_bucket(s3):
    pytest.importorskip("distributed")
    import dask
    import dask.array as da
    from distributed import Client, LocalCluster

    a = volume()
    ZarrArray.write(NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME), "s3://%s/dask.zarr" % BUCKET, chunks=(96, 64, 8))

    def slab(z0, z1):
        from iolink import ZarrArray as Z, RegionXu64 as R
        import numpy
        out = numpy.empty((z1 - z0, 64, 96), numpy.uint16)
        Z.open("s3://lab/dask.zarr").read_region(R((0, 0, z0), (96, 64, z1 - z0)), out)
        return out

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster):
        parts = [da.from_delayed(dask.delayed(slab)(z, z + 8), (8, 64, 96), np.uint16) for z in range(0, 48, 8)]
        total = da.concatenate(parts).astype(np.uint64).sum().compute()
    assert total == a.astype(np.uint64).sum()


def test_the_readme_s3_transcript_prints_what_it_shows(tmp_path):
    """The README's S3 transcript, run as it is in one shell (its exports and its background server kept from one
    command to the next), with `iolink` the tool built from this repository."""
    import re
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    built = [p for p in (os.path.join(repo, "src", "IOLink.Cli", "bin", c, "net10.0", "IOLink.Cli.dll") for c in ("Release", "Debug")) if os.path.exists(p)]
    tool = max(built, key=os.path.getmtime) if built else None   # the newer build, where a developer has both
    if tool is None or shutil.which("dotnet") is None or shutil.which("moto_server") is None:
        pytest.skip("the tool is not built here, or dotnet or moto_server is missing")
    readme = open(os.path.join(repo, "README.md"), encoding="utf-8").read()
    block = re.search(r"^```console\n(\$ .*?)^```$", readme, re.M | re.S)
    assert block, "the README's S3 transcript was not found"
    steps = [s for s in re.split(r"^\$ ", block.group(1), flags=re.M) if s]
    # Whatever the transcript leaves running (its server, if a step fails before `kill %1`) ends with the shell.
    script = 'trap \'kill $(jobs -p) 2>/dev/null\' EXIT\niolink() { dotnet "%s" "$@"; }\n' % tool
    for i, step in enumerate(steps):
        command = step.split("\n", 1)[0]
        script += "echo '@@@ %d'\n%s 2>&1\n" % (i, command)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    result = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    outputs = re.split(r"^@@@ \d+\n", result.stdout, flags=re.M)[1:]
    assert len(outputs) == len(steps), result.stdout + result.stderr
    shown = "".join("$ %s\n%s" % (step.split("\n", 1)[0], got) for step, got in zip(steps, outputs))
    assert shown == block.group(1)
