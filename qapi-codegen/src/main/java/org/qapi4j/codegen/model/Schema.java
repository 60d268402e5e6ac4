package org.qapi4j.codegen.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.ast.Expression;
import org.qapi4j.codegen.ast.QapiDoc;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * The checked schema: every entity, linked and checked, in its module. QEMU's
 * {@code QAPISchema} after parsing.
 *
 * <p>Build it with {@link #build}; walk it with {@link #visit}. A built schema does not change.
 */
public final class Schema {
    /** QEMU's limit on the number of distinct features (special ones included). */
    static final int MAX_FEATURES = 64;

    private final String rootFileName;
    private final String schemaDir;
    private final List<QapiDoc> docs;
    private final DocStyle style;
    private final List<Entity> entityList = new ArrayList<>();
    private final Map<String, Definition> entityDict = new LinkedHashMap<>();
    private final Map<String, Module> moduleDict = new LinkedHashMap<>();
    private final Map<String, Feature> featureDict = new LinkedHashMap<>();
    private boolean predefining;
    private ObjectType theEmptyObjectType;

    private Schema(String rootFileName, List<QapiDoc> docs, DocStyle style) {
        this.rootFileName = rootFileName;
        this.schemaDir = ModuleNames.dirname(rootFileName);
        this.docs = List.copyOf(docs);
        this.style = style;
    }

    /**
     * Builds and checks the schema, as QEMU's {@code QAPISchema} does once it has parsed and
     * checked the expressions.
     *
     * @param rootFileName the root schema file's name as given (module names are relative to its
     *     directory)
     * @param checkedExprs the expressions, as the expression checker left them
     * @param docs every documentation block, in source order
     * @param style how strictly documentation is checked
     * @throws SchemaException at the first problem, with QEMU's message
     */
    public static Schema build(String rootFileName, List<Expression> checkedExprs,
            List<QapiDoc> docs, DocStyle style) {
        Schema schema = new Schema(rootFileName, docs, style);
        for (String name : Feature.SPECIAL_NAMES) {
            schema.featureDict.put(name, new Feature(name, null, null));
        }
        schema.makeModule(Module.BUILTIN_MODULE_NAME);
        schema.makeModule(rootFileName);
        SchemaBuilder builder = new SchemaBuilder(schema);
        schema.predefining = true;
        schema.theEmptyObjectType = builder.definePredefineds();
        schema.predefining = false;
        builder.defineExpressions(checkedExprs);
        schema.check();
        return schema;
    }

    /** The root schema file's name, as given to {@link #build}. */
    public String rootFileName() {
        return rootFileName;
    }

    /** Every documentation block, in source order. */
    public List<QapiDoc> docs() {
        return docs;
    }

    /**
     * The schema's distinct features, each as first used; the special ones
     * ({@link Feature#SPECIAL_NAMES}) first.
     */
    public Collection<Feature> features() {
        return Collections.unmodifiableCollection(featureDict.values());
    }

    /** Every entity in definition order, includes and implicit types too. */
    public List<Entity> entities() {
        return Collections.unmodifiableList(entityList);
    }

    /** The modules in the order QEMU visits them: {@code ./builtin}, the root, the includes. */
    public List<Module> modules() {
        return List.copyOf(moduleDict.values());
    }

    /** The module of the root schema file; its name is the file's name without directories. */
    public Module rootModule() {
        return moduleByFileName(rootFileName);
    }

    /** The type {@code q_empty}. */
    public ObjectType theEmptyObjectType() {
        return theEmptyObjectType;
    }

    /** The definition named {@code name}, or null. */
    public Definition lookupEntity(String name) {
        return entityDict.get(name);
    }

    /** The type named {@code name}, or null if there is none (or it is not a type). */
    public SchemaType lookupType(String name) {
        Definition definition = entityDict.get(name);
        return definition instanceof SchemaType ? (SchemaType) definition : null;
    }

    /** Walks the modules and their entities. */
    public void visit(SchemaVisitor visitor) {
        visitor.visitBegin(this);
        for (Module module : moduleDict.values()) {
            module.visit(visitor);
        }
        visitor.visitEnd();
    }

    // ---- used while building and checking -----------------------------------------------

    boolean docEnforced() {
        return style.enforced();
    }

    Map<String, Feature> featureDict() {
        return featureDict;
    }

    void defineEntity(Entity entity) {
        entityList.add(entity);
    }

    void defineDefinition(Definition definition) {
        if (definition.info() == null && !predefining) {
            throw new IllegalStateException("no location: " + definition);
        }
        defineEntity(definition);
        Definition other = entityDict.get(definition.name());
        if (other != null) {
            if (other.info() != null) {
                throw new SchemaException(definition.info(), "'" + definition.name()
                        + "' is already defined\n" + other.info() + ": previous definition");
            }
            throw new SchemaException(definition.info(), other.describe() + " is already defined");
        }
        entityDict.put(definition.name(), definition);
    }

    SchemaType resolveType(String name, SourceInfo info, String what) {
        return resolveType(name, info, i -> what);
    }

    /** The type {@code name}; if none, fails with {@code WHAT uses unknown type 'NAME'}. */
    SchemaType resolveType(String name, SourceInfo info, Function<SourceInfo, String> what) {
        SchemaType type = lookupType(name);
        if (type == null) {
            if (info == null) {
                throw new IllegalStateException("built-in type lookup failed: " + name);
            }
            throw new SchemaException(info, what.apply(info) + " uses unknown type '" + name + "'");
        }
        return type;
    }

    private String moduleName(String fileName) {
        if (Module.isSystemModule(fileName)) {
            return fileName;
        }
        return ModuleNames.relpath(fileName, schemaDir);
    }

    Module makeModule(String fileName) {
        return moduleDict.computeIfAbsent(moduleName(fileName), Module::new);
    }

    Module moduleByFileName(String fileName) {
        Module module = moduleDict.get(moduleName(fileName));
        if (module == null) {
            throw new IllegalStateException("no module for " + fileName);
        }
        return module;
    }

    private void check() {
        for (Entity entity : entityList) {
            entity.check(this);
            entity.connectDoc(this, null);
        }
        for (Entity entity : entityList) {
            entity.setModule(this);
        }
        for (QapiDoc doc : docs) {
            doc.check(style.enforced());
        }
        List<Feature> features = new ArrayList<>(featureDict.values());
        if (features.size() > MAX_FEATURES) {
            throw new SchemaException(
                    features.get(MAX_FEATURES).info(), "Maximum of 64 schema features is permitted");
        }
    }
}
