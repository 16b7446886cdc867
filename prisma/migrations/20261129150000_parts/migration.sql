-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "involvedUnits" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "parts" JSONB NOT NULL DEFAULT '[]';

-- CreateIndex
CREATE INDEX "Ticket_involvedUnits_idx" ON "Ticket" USING GIN ("involvedUnits");


-- Tickets written before co-handling existed involve their lead unit only
UPDATE "Ticket" SET "involvedUnits" = ARRAY["unitId"] WHERE cardinality("involvedUnits") = 0;
