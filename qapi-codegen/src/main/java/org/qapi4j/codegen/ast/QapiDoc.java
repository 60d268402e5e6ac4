package org.qapi4j.codegen.ast;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * A documentation comment block ({@code ## ... ##}): either the documentation of the definition
 * that follows it, or free-form text.
 *
 * <p>A definition's block has a body (the line naming the definition and the overview), a
 * section per documented member or argument, a section per documented feature, and further
 * sections, some tagged ({@code Returns:}, {@code Errors:}, {@code Since:}, {@code TODO:}).
 * The parser builds it line by line; the model later connects each {@code @name:} section to the
 * member it describes and checks that every member is described, with QEMU's messages.
 */
public final class QapiDoc {

    /** What a section holds. */
    public enum Kind {
        PLAIN, MEMBER, FEATURE, RETURNS, ERRORS, SINCE, TODO;

        /** The kind named by a section tag such as {@code Returns}. */
        public static Kind fromTag(String tag) {
            return valueOf(tag.toUpperCase(Locale.ROOT));
        }

        /** The kind as QEMU prints it: {@code Plain}, {@code Returns}, ... */
        @Override
        public String toString() {
            String name = name();
            return name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
        }
    }

    /** A run of text of one kind. */
    public static class Section {
        private SourceInfo info;
        private final Kind kind;
        private String text = "";

        Section(SourceInfo info, Kind kind) {
            this.info = info;
            this.kind = kind;
        }

        /** Where the section begins. */
        public SourceInfo info() {
            return info;
        }

        public Kind kind() {
            return kind;
        }

        /** The section's text, without its tag, with leading and trailing blank lines removed. */
        public String text() {
            return text;
        }

        void appendLine(String line) {
            text += line + "\n";
        }
    }

    /** The description of one member, argument or feature: {@code @name: text}. */
    public static final class ArgSection extends Section {
        private final String name;
        private DocumentedMember member;

        ArgSection(SourceInfo info, Kind kind, String name) {
            super(info, kind);
            this.name = name;
        }

        public String name() {
            return name;
        }

        /** What the section describes, once the model has connected it; null before. */
        public DocumentedMember member() {
            return member;
        }

        void connect(DocumentedMember member) {
            this.member = member;
        }
    }

    private final SourceInfo info;
    private final String symbol;
    private final List<Section> allSections = new ArrayList<>();
    private final Section body;
    private final Map<String, ArgSection> args = new LinkedHashMap<>();
    private final Map<String, ArgSection> features = new LinkedHashMap<>();
    private final List<Section> sections = new ArrayList<>();
    private Section returns;
    private Section errors;
    private Section since;

    /**
     * @param info the line of the opening {@code ##}
     * @param symbol the documented definition's name, or null for free-form documentation
     */
    public QapiDoc(SourceInfo info, String symbol) {
        this.info = info;
        this.symbol = symbol;
        this.body = new Section(info, Kind.PLAIN);
        allSections.add(body);
    }

    public SourceInfo info() {
        return info;
    }

    /** The documented definition's name, or null for free-form documentation. */
    public String symbol() {
        return symbol;
    }

    public Section body() {
        return body;
    }

    /** Member and argument descriptions by name, in the order written (stubs last). */
    public Map<String, ArgSection> args() {
        return Collections.unmodifiableMap(args);
    }

    /** Feature descriptions by name, in the order written. */
    public Map<String, ArgSection> features() {
        return Collections.unmodifiableMap(features);
    }

    /** The sections other than the body, the member and the feature descriptions. */
    public List<Section> sections() {
        return Collections.unmodifiableList(sections);
    }

    /** Every section in the order a reader meets it, stubs included. */
    public List<Section> allSections() {
        return Collections.unmodifiableList(allSections);
    }

    public Section returns() {
        return returns;
    }

    public Section errors() {
        return errors;
    }

    public Section since() {
        return since;
    }

    // ---- building, used by the parser ------------------------------------------------------

    /** Closes the block: trims blank lines and rejects tagged sections without text. */
    public void end() {
        for (Section section : allSections) {
            section.text = stripNewlines(section.text);
            if (section.kind != Kind.PLAIN && section.text.isEmpty()) {
                throw new SchemaException(section.info, "text required after '" + section.kind + ":'");
            }
        }
    }

    private static String stripNewlines(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) == '\n') {
            start++;
        }
        while (end > start && text.charAt(end - 1) == '\n') {
            end--;
        }
        return text.substring(start, end);
    }

    /** Continues the current untagged section, or starts one. */
    public void ensureUntaggedSection(SourceInfo at) {
        Section last = allSections.get(allSections.size() - 1);
        if (last.kind == Kind.PLAIN) {
            if (last.text.isEmpty()) {
                // Empty so far: let it start here.
                last.info = at;
            }
            last.text += "\n";
            return;
        }
        Section section = new Section(at, Kind.PLAIN);
        sections.add(section);
        allSections.add(section);
    }

    /** Starts a tagged section; {@code Returns}, {@code Errors} and {@code Since} only once. */
    public void newTaggedSection(SourceInfo at, Kind kind) {
        Section section = new Section(at, kind);
        switch (kind) {
            case RETURNS:
                rejectDuplicate(returns, at, kind);
                returns = section;
                break;
            case ERRORS:
                rejectDuplicate(errors, at, kind);
                errors = section;
                break;
            case SINCE:
                rejectDuplicate(since, at, kind);
                since = section;
                break;
            default:
                break;
        }
        sections.add(section);
        allSections.add(section);
    }

    private static void rejectDuplicate(Section existing, SourceInfo at, Kind kind) {
        if (existing != null) {
            throw new SchemaException(at, "duplicated '" + kind + "' section");
        }
    }

    /** Starts the description of a member or argument. */
    public void newArgument(SourceInfo at, String name) {
        newDescription(at, name, Kind.MEMBER, args);
    }

    /** Starts the description of a feature. */
    public void newFeature(SourceInfo at, String name) {
        newDescription(at, name, Kind.FEATURE, features);
    }

    private void newDescription(SourceInfo at, String name, Kind kind, Map<String, ArgSection> into) {
        if (name.isEmpty()) {
            throw new SchemaException(at, "invalid parameter name");
        }
        if (into.containsKey(name)) {
            throw new SchemaException(at, "'" + name + "' parameter name duplicated");
        }
        ArgSection section = new ArgSection(at, kind, name);
        allSections.add(section);
        into.put(name, section);
    }

    /** Adds a line to the section being written. */
    public void appendLine(String line) {
        allSections.get(allSections.size() - 1).appendLine(line);
    }

    // ---- connecting to the model -----------------------------------------------------------

    /**
     * Connects a member's description to the member. An undocumented member is an error unless
     * the pragma {@code documentation-exceptions} names this definition; then (as QEMU does) a
     * stub description is inserted after the last member description.
     *
     * @param enforce false to accept undocumented members everywhere (relaxed doc style)
     */
    public void connectMember(DocumentedMember member, boolean enforce) {
        if (!args.containsKey(member.name())) {
            if (enforce && !member.info().pragma().documentationExceptions().contains(symbol)) {
                throw new SchemaException(
                        member.info(), member.role() + " '" + member.name() + "' lacks documentation");
            }
            ArgSection stub = new ArgSection(info, Kind.MEMBER, member.name());
            args.put(member.name(), stub);
            int index = 1;
            if (allSections.size() > 1) {
                while (index < allSections.size() && allSections.get(index).kind == Kind.MEMBER) {
                    index++;
                }
            }
            allSections.add(index, stub);
        }
        args.get(member.name()).connect(member);
    }

    /**
     * Connects a feature's description to the feature; an undocumented feature is an error.
     *
     * @param enforce false to accept undocumented features (relaxed doc style)
     */
    public void connectFeature(DocumentedMember feature, boolean enforce) {
        ArgSection section = features.get(feature.name());
        if (section == null) {
            if (enforce) {
                throw new SchemaException(
                        feature.info(), "feature '" + feature.name() + "' lacks documentation");
            }
            return;
        }
        section.connect(feature);
    }

    /** Inserts a stub {@code Returns} section where QEMU would, unless there is one. */
    public void ensureReturns(SourceInfo at) {
        for (Section section : allSections) {
            if (section.kind == Kind.RETURNS) {
                return;
            }
        }
        Section stub = new Section(at, Kind.RETURNS);
        if (insertNear(Kind.MEMBER, stub, true)
                || insertNear(Kind.ERRORS, stub, false)
                || insertNear(Kind.FEATURE, stub, false)) {
            return;
        }
        // Right after the body, which is always first.
        allSections.add(1, stub);
    }

    private boolean insertNear(Kind kind, Section stub, boolean after) {
        for (int i = allSections.size() - 1; i >= 0; i--) {
            if (allSections.get(i).kind == kind) {
                allSections.add(after ? i + 1 : i, stub);
                return true;
            }
        }
        return false;
    }

    /**
     * Checks the sections against the definition they document: only commands have
     * {@code Returns} and {@code Errors}, and {@code Returns} only when they return something.
     *
     * @param enforceReturns false to accept a {@code Returns} section on a command that returns
     *     nothing (relaxed doc style)
     */
    public void checkExpression(Expression expr, boolean enforceReturns) {
        if (expr.has("command")) {
            if (enforceReturns && returns != null && !expr.has("returns")) {
                throw new SchemaException(
                        returns.info, "'Returns' section, but command doesn't return anything");
            }
        } else {
            if (returns != null) {
                throw new SchemaException(returns.info, "'Returns' section is only valid for commands");
            }
            if (errors != null) {
                throw new SchemaException(errors.info, "'Errors' section is only valid for commands");
            }
        }
    }

    /**
     * Rejects descriptions of members or features that do not exist.
     *
     * @param enforce false to accept them (relaxed doc style)
     */
    public void check(boolean enforce) {
        if (!enforce) {
            return;
        }
        checkArgsSection(args, "member");
        checkArgsSection(features, "feature");
    }

    private static void checkArgsSection(Map<String, ArgSection> described, String what) {
        List<String> bogus = new ArrayList<>();
        for (ArgSection section : described.values()) {
            if (section.member == null) {
                bogus.add(section.name);
            }
        }
        if (bogus.isEmpty()) {
            return;
        }
        boolean many = bogus.size() > 1;
        throw new SchemaException(
                described.get(bogus.get(0)).info(),
                "documented " + what + (many ? "s" : "") + " '" + String.join("', '", bogus) + "' "
                        + (many ? "do" : "does") + " not exist");
    }
}
