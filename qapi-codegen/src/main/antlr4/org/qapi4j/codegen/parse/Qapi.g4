/*
 * The QAPI schema language: JSON-like values with single-quoted strings,
 * only true/false as literals, and '#' comments ('##' opens and closes a
 * documentation block).
 *
 * The grammar mirrors QEMU's hand-written recursive descent parser so that
 * every syntax error can be reported in QEMU's words: at each point where
 * the parser can fail, the set of tokens it expects maps to exactly one of
 * QEMU's messages (see QemuErrorStrategy). Lexical errors are not lexer
 * errors here: the catch-all tokens STRAY and UNTERMINATED_STRING, and
 * strings with bad content, are turned into QEMU's messages when the parser
 * first looks at them (see QapiTokenSource), which is when QEMU reports them.
 *
 * Documentation blocks are read line by line by SchemaParser, not by this
 * grammar: which comments are tokens depends on whether a block is open.
 */
grammar Qapi;

@header {
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
}

options { superClass = QapiParserBase; }

// ---- parser ------------------------------------------------------------

value returns [Object v]
    : object  { $v = $object.v; }
    | array   { $v = $array.v; }
    | STRING  { $v = $STRING.text; }
    | TRUE    { $v = Boolean.TRUE; }
    | FALSE   { $v = Boolean.FALSE; }
    ;

object returns [Map<String, Object> v]
@init { $v = new LinkedHashMap<>(); }
    : LBRACE { enterNested(); } ( member[$v] ( COMMA member[$v] )* )? RBRACE { exitNested(); }
    ;

member [Map<String, Object> into]
    : key=STRING COLON { rejectDuplicateKey($into, $key.text); } value { $into.put($key.text, $value.v); }
    ;

array returns [List<Object> v]
@init { $v = new ArrayList<>(); }
    : LBRACKET { enterNested(); } ( first=value { $v.add($first.v); } ( COMMA next=value { $v.add($next.v); } )* )? RBRACKET { exitNested(); }
    ;

// ---- lexer -------------------------------------------------------------

LBRACE   : '{' ;
RBRACE   : '}' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
COLON    : ':' ;
COMMA    : ',' ;

// QEMU matches these as prefixes: 'trueish' is 'true' followed by a stray 'ish'.
TRUE     : 'true' ;
FALSE    : 'false' ;

// Escapes and characters are validated in QapiTokenSource, in QEMU's order.
STRING   : '\'' ( '\\' ~'\n' | ~['\\\n] )* '\'' ;
UNTERMINATED_STRING : '\'' ( '\\' ~'\n' | ~['\\\n] )* '\\'? ;

// '##' opens or closes a documentation block and is never skipped.
DOC_COMMENT : '##' ~'\n'* ;
COMMENT     : '#' ~'\n'* ;

NEWLINE  : '\n' -> skip ;
// Python's str.isspace(), which QEMU uses (sources are read with universal
// newlines, so '\r' never gets here).
WHITESPACE : [ \t\u000B\f\u001C-\u001F\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+ -> skip ;

// Anything else is a stray character; QEMU reports it together with what
// follows it up to the next structural, space or quote character.
STRAY    : . ;
