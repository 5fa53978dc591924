"""The type stubs (iolink/__init__.pyi, with py.typed) describe the package as it is: every name, enum member and method."""

import ast
import inspect

import iolink

from conftest import PACKAGE, REPO

SOURCE_STUB = REPO / "src" / "IOLink.Python" / "python" / "iolink" / "__init__.pyi"


def stub():
    installed = PACKAGE / "__init__.pyi"
    if not iolink._dotnet.HOSTED:
        # The wheel must ship them, or editors see nothing.
        assert installed.is_file() and (PACKAGE / "py.typed").is_file()
    return ast.parse((installed if installed.is_file() else SOURCE_STUB).read_text())


def stub_classes(tree):
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


def stub_names(tree):
    names = set(stub_classes(tree))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets)
        elif isinstance(node, ast.FunctionDef):
            names.add(node.name)
    return names


def test_every_public_name_is_in_the_stub():
    assert set(iolink.__all__) - stub_names(stub()) == set()


def test_every_enum_member_is_in_the_stub_with_its_value():
    classes = stub_classes(stub())
    for enum in (iolink.DataTypeId, iolink.PrimitiveTypeId, iolink.DataTypeInterpretation, iolink.ImageTypeId,
                 iolink.ImageDimension, iolink.ImageInterpretation, iolink.ImageCapability):
        members = {node.targets[0].id: node.value.value for node in classes[enum.__name__].body if isinstance(node, ast.Assign)}
        assert members == {m.name: int(m) for m in enum}, enum.__name__


def test_every_public_method_is_in_the_stub_with_its_parameters():
    classes = stub_classes(stub())
    for name in ("VectorXu64", "RegionXu64", "DataType", "ImageView", "ImageViewFactory", "NumpyInterop", "DLPackInterop", "StreamAccess",
                 "StreamAccessFactory", "ImageProperties", "MetadataNode", "RandomAccess", "RandomAccessFactory",
                 "DataFrameView", "DataFrameViewFactory"):
        runtime = getattr(iolink, name)
        declared = {}
        for node in classes[name].body:
            if isinstance(node, ast.FunctionDef):
                declared.setdefault(node.name, [a.arg for a in node.args.args if a.arg not in ("self", "cls")])
        for attr, value in vars(runtime).items():
            if attr.startswith("_") or not (inspect.isfunction(value) or isinstance(value, (staticmethod, property))):
                continue
            assert attr in declared, "%s.%s is not in the stub" % (name, attr)
            function = value.__func__ if isinstance(value, staticmethod) else value
            if inspect.isfunction(function):
                parameters = [p for p in inspect.signature(function).parameters if p not in ("self", "cls")]
                if not any(p.startswith("values") for p in parameters):
                    assert declared[attr] == parameters, "%s.%s" % (name, attr)
