# Section 4: a stream as Python's raw stream, composed with the standard library and NumPy.
import io, shutil, zipfile
import numpy as np
from iolink import StreamAccessFactory, StreamAccessRawIO

raw = StreamAccessRawIO(StreamAccessFactory.allocate())
print(raw.readable(), raw.writable(), raw.seekable())
text = io.TextIOWrapper(io.BufferedRandom(raw), encoding="utf-8")
text.write("hello, IOLink\n"); text.flush(); text.seek(0)
print(text.readline().strip())

stream = StreamAccessRawIO(StreamAccessFactory.allocate())
np.save(stream, np.arange(5, dtype=np.int16)); stream.seek(0)
print(np.load(stream))

archive = StreamAccessRawIO(StreamAccessFactory.allocate())
with zipfile.ZipFile(archive, "w") as z:
    z.writestr("a.txt", "zipped")
archive.seek(0)
print(zipfile.ZipFile(archive).read("a.txt").decode())

out = io.BytesIO()
src = StreamAccessRawIO(StreamAccessFactory.from_buffer(b"copied by shutil"))
reader = io.BufferedReader(src)
shutil.copyfileobj(reader, out)
print(out.getvalue().decode())
try:
    src.write(b"x")                                    # bytes are read-only: no WRITE capability
except io.UnsupportedOperation as e:
    print("UnsupportedOperation:", e)
