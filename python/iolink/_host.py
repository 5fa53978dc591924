"""What `iolink python` runs: a script, -m module or -c code as the python3 command would."""

import os
import sys


def _exit_code(exc):
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF          # as the operating system sees any exit status
    # Python prints a non-integer exit value and exits with 1.
    print(code, file=sys.stderr)
    return 1


def _report(exc_type, exc, tb):
    # Drop the frames of this runner and of runpy so the traceback starts where python3's would.
    import runpy
    hidden = {os.path.normcase(os.path.abspath(f)) for f in (__file__, runpy.__file__)}

    def is_hidden(filename):
        return filename.startswith("<frozen runpy") or os.path.normcase(os.path.abspath(filename)) in hidden

    while tb is not None and is_hidden(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    # The default hook prints the exception's own __traceback__, so trim that one.
    if exc is not None:
        exc.__traceback__ = tb
    sys.excepthook(exc_type, exc, tb)


def _finish():
    # What Py_FinalizeEx would do before exiting: wait for threads, run atexit, flush.
    try:
        import threading
        threading._shutdown()
    except Exception:
        pass
    try:
        import atexit
        atexit._run_exitfuncs()
    except Exception:
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def main(mode, target, args):
    import runpy
    code = 0
    try:
        if mode == "version":
            print("Python %s" % sys.version.split()[0])
        elif mode == "c":
            sys.argv = ["-c"] + list(args)
            sys.path.insert(0, "")
            main_module = sys.modules["__main__"]
            main_module.__dict__.update({"__name__": "__main__", "__file__": None})
            main_module.__dict__.pop("__file__")
            exec(compile(target, "<string>", "exec"), main_module.__dict__)
        elif mode == "m":
            sys.argv = [target] + list(args)
            sys.path.insert(0, os.getcwd())
            runpy._run_module_as_main(target, alter_argv=True)
        elif (mode == "script" and target == "-") or (mode == "repl" and not sys.stdin.isatty()):
            # A program from standard input (given as -, or piped in with nothing to run), as python3 reads it:
            # no banner and no prompts for a stdin that is not a terminal.
            sys.argv = ["-" if mode == "script" else ""] + list(args)
            sys.path.insert(0, "")
            main_module = sys.modules["__main__"]
            main_module.__dict__.update({"__name__": "__main__"})
            main_module.__dict__.pop("__file__", None)
            exec(compile(sys.stdin.read(), "<stdin>", "exec"), main_module.__dict__)
        elif mode == "script":
            if not os.path.exists(target):
                print("iolink python: can't open file %r: [Errno 2] No such file or directory" % os.path.abspath(target), file=sys.stderr)
                return 2
            sys.argv = [target] + list(args)
            sys.path.insert(0, os.path.dirname(os.path.abspath(target)))
            runpy.run_path(target, run_name="__main__")
        else:
            import code as interactive
            sys.argv = [""]
            sys.path.insert(0, "")
            interactive.interact(banner="Python %s with iolink (IOLink for .NET)" % sys.version.split()[0], exitmsg="")
    except SystemExit as e:
        code = _exit_code(e)
    except KeyboardInterrupt:
        _report(*sys.exc_info())
        code = 130
    except BaseException:
        _report(*sys.exc_info())
        code = 1
    _finish()
    return code
